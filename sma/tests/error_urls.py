"""The product's URLs plus a view that fails, to see the 500 page as a user would."""

from django.urls import path

from sma.urls import urlpatterns as product_urlpatterns


def broken(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [path("fallo/", broken), *product_urlpatterns]
