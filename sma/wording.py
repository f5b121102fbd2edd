"""Django's own Spanish wording of messages that Django REST framework's catalog also translates.

DRF (installed for the REST API) ships a Spanish catalog whose wording differs from Django's for a
few shared messages ("Este campo es requerido." instead of "Este campo es obligatorio."), and an
installed app's catalog outranks Django's own — on every form of the site. Listed here, these
messages are in our catalog (locale/es), which outranks both, with Django's wording.
"""

from django.utils.translation import gettext_noop

SHARED_WITH_DRF = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
)
