"""`.env.example` documents every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_variable_is_listed_in_env_example():
    settings_source = "\n".join(
        path.read_text() for path in sorted((ROOT / "config" / "settings").glob("*.py"))
    )
    read = set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"', settings_source))
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found: have the settings stopped using env_* helpers?"
    assert read - listed == set()
