"""The extension objects, created once and bound to the app in create_app (``init_app``)."""

from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
# Limits are declared on the routes that need them (sign-in, the public lead form); nothing by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
migrate = Migrate()
