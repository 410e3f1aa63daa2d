from django.urls import URLPattern

app_name = "interaction"
urlpatterns: list[URLPattern] = []
