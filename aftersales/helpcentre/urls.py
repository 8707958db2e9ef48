from django.urls import path

from . import staff_views, views

app_name = "helpcentre"

urlpatterns = [
    path("", views.index, name="index"),
    path("serial-number/", views.serial_numbers, name="serial_numbers"),
    # The staff's pages (two segments and more: never an article's address, models.RESERVED_SLUGS).
    path("staff/articles/", staff_views.article_list, name="staff_articles"),
    path("staff/articles/new/", staff_views.article_new, name="staff_article_new"),
    path("staff/articles/<int:pk>/", staff_views.article_edit, name="staff_article_edit"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
