"""Extension singletons, bound to an app later by `init_app` (nothing happens at import)."""

from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every pixgate model; named constraints keep migrations
    portable across SQLite, MariaDB and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING)


# Sessions live for one request or one worker pass and are removed after it, so an object
# never outlives the transaction it reflects by more than its response: there is no reason to
# re-read every attribute after a commit (that SELECT was a quarter of a create's cost).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
socketio = SocketIO()
