"""URLs of the people resources (included by :mod:`api.urls`)."""

from django.urls import path

from . import people as views

urlpatterns: list = [
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/<int:user_id>/", views.UserDetailView.as_view(), name="user-detail"),
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/<int:group_id>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("groups/<int:group_id>/members/", views.GroupMembersView.as_view(), name="group-members"),
    path(
        "groups/<int:group_id>/members/<int:user_id>/",
        views.GroupMemberView.as_view(),
        name="group-member",
    ),
]
