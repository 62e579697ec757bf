import os
import warnings

from django.core.asgi import get_asgi_application

# WhiteNoise answers with file iterators, which Django's ASGI handler reads whole before
# sending: fine for static files, small and kept by a CDN. (Uploads are for the web server or
# object storage to serve in production, not for Django.)
warnings.filterwarnings("ignore", "StreamingHttpResponse must consume synchronous iterators")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_asgi_application()
