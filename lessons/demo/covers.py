"""Course cover images for the demo, drawn locally with Pillow (nothing is downloaded).

A cover is a diagonal gradient with the subject and the course title on it. It is
saved once as a Wagtail image titled "<course title> (cover)" and reused on later
runs; if its file has gone missing from storage it is drawn again.
"""

import io
import textwrap

from django.core.files.images import ImageFile
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.utils.file import hash_filelike

from PIL import Image, ImageChops, ImageDraw, ImageFont

WIDTH, HEIGHT = 1280, 720
MARGIN = 80


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def draw_cover(*, title: str, label: str, colours: tuple[str, str]) -> bytes:
    """A JPEG cover: a diagonal gradient between ``colours``, the ``label`` (subject)
    small above the ``title``, in white."""
    start = Image.new("RGB", (WIDTH, HEIGHT), _rgb(colours[0]))
    end = Image.new("RGB", (WIDTH, HEIGHT), _rgb(colours[1]))
    # The mean of a vertical and a horizontal ramp blends from corner to corner.
    vertical = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    horizontal = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    ramp = ImageChops.add(vertical, horizontal, scale=2)
    image = Image.composite(end, start, ramp)

    draw = ImageDraw.Draw(image, "RGBA")
    # Soft circles for texture; they stay faint so the white text keeps its contrast.
    draw.ellipse((WIDTH - 520, -260, WIDTH + 260, 520), fill=(255, 255, 255, 28))
    draw.ellipse((WIDTH - 300, HEIGHT - 220, WIDTH + 120, HEIGHT + 200), fill=(0, 0, 0, 30))

    label_font = ImageFont.load_default(size=34)
    title_font = ImageFont.load_default(size=76)
    lines = textwrap.wrap(title, width=22)
    line_height = 92
    top = HEIGHT - MARGIN - line_height * len(lines)
    draw.text((MARGIN, top - 70), label.upper(), font=label_font, fill=(255, 255, 255, 220))
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=title_font, fill="white")

    output = io.BytesIO()
    image.save(output, format="JPEG", quality=88, optimize=True)
    return output.getvalue()


def demo_image(*, title: str, filename: str, draw) -> AbstractImage:
    """The Wagtail image titled ``title``: drawn by ``draw()`` (image bytes) and saved
    as ``filename`` on first use, reused after, drawn again if its file has gone."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).order_by("pk").first()
    if image and image.file and image.file.storage.exists(image.file.name):
        return image
    if image is None:
        image = image_model(title=title)
    data = draw()
    # Assigning an ImageFile sets width and height; size and hash are ours to set.
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.file_size = len(data)
    image.file_hash = hash_filelike(io.BytesIO(data))
    image.save()
    image.renditions.all().delete()
    return image


def cover_image(*, title: str, label: str, colours: tuple[str, str]) -> AbstractImage:
    """The course's cover image, drawn and saved on first use and reused after."""
    return demo_image(
        title=f"{title} (cover)",
        filename=f"demo-cover-{slugify(title)}.jpg",
        draw=lambda: draw_cover(title=title, label=label, colours=colours),
    )


def _png(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def draw_logo(*, initials: str, colour: str) -> bytes:
    """A square PNG logo: white initials on a rounded tile of ``colour``."""
    size = 240
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=48, fill=_rgb(colour))
    font = ImageFont.load_default(size=110)
    box = draw.textbbox((0, 0), initials, font=font)
    left = (size - (box[2] - box[0])) / 2 - box[0]
    top = (size - (box[3] - box[1])) / 2 - box[1]
    draw.text((left, top), initials, font=font, fill="white")
    return _png(image)


def draw_signature(*, name: str) -> bytes:
    """A transparent PNG "signature": the name in dark blue, slanted, underlined."""
    width, height = 640, 180
    text = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(text)
    draw.text((40, 30), name, font=ImageFont.load_default(size=72), fill=(23, 37, 84, 255))
    draw.line((40, 130, width - 60, 118), fill=(23, 37, 84, 255), width=4)
    # A shear makes the upright letters lean like handwriting.
    slanted = text.transform((width, height), Image.AFFINE, (1, 0.3, -30, 0, 1, 0))
    return _png(slanted)
