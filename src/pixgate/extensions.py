"""Extension singletons, bound to an app later by `init_app` (nothing happens at import)."""

from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every pixgate model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
socketio = SocketIO()
