"""The application factory: configuration, extensions, blueprints, error handlers."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from pixgate.api.json_provider import ExactJSONProvider
from pixgate.config import Config
from pixgate.extensions import db, migrate, socketio

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(config: Config | None = None) -> Flask:
    """Build an app from `config` (or the environment); validated before anything binds."""
    config = config or Config.from_env()
    config.check()
    app = Flask(
        __name__,
        instance_path=str(Path(config.INSTANCE_PATH).resolve()),
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.json = ExactJSONProvider(app)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.from_mapping(config.as_flask())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=config.LOG_LEVEL)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), compare_type=True)
    _init_socketio(app, config)
    _register_models()

    from pixgate.charges.receiver import receiver_from_config

    app.extensions["pixgate.receiver"] = receiver_from_config(config)
    _register_blueprints(app, config)
    from pixgate.api.body import StreamedBodyLimit

    limited = StreamedBodyLimit(app.wsgi_app, config.MAX_CONTENT_LENGTH)
    app.wsgi_app = limited  # type: ignore[method-assign]
    from pixgate.realtime import handlers

    handlers.register(socketio)
    from pixgate import ops

    ops.init_app(app)
    from pixgate.psp import registry

    registry.init_app(app)  # after ops: the PSP client's metrics go on the app's registry
    from pixgate.db import pool, sqlite

    sqlite.tune(app)
    pool.tune(app)
    from pixgate.web import proxies

    proxies.install(app, config.TRUSTED_PROXIES)
    return app


def _register_blueprints(app: Flask, config: Config) -> None:
    from pixgate import web
    from pixgate.api import errors, legacy, oauth, openapi, psp_webhooks, sandbox, v2, webhooks_in
    from pixgate.api.v2 import payload
    from pixgate.sandbox.fetch import make_fetch

    app.register_blueprint(legacy.bp)
    app.register_blueprint(webhooks_in.bp)
    app.register_blueprint(psp_webhooks.bp)
    app.register_blueprint(oauth.bp)
    app.register_blueprint(v2.create_blueprint(config.API_BASE_PATH))
    app.register_blueprint(payload.bp)
    app.register_blueprint(openapi.bp)
    web.init_app(app)
    if config.SANDBOX:
        app.register_blueprint(sandbox.bp)
    app.extensions["pixgate.fetch"] = make_fetch(config)
    errors.register(app)


def _init_socketio(app: Flask, config: Config) -> None:
    from pixgate.startup_checks import allowed_origins

    socketio.init_app(
        app,
        async_mode=config.SOCKETIO_ASYNC_MODE,
        message_queue=config.REDIS_URL,
        channel=config.REDIS_CHANNEL,  # deployments sharing one Redis stay apart by channel
        # A list turns on Engine.IO's Origin check: other sites cannot watch payments live.
        cors_allowed_origins=allowed_origins(config),
        logger=False,
        engineio_logger=False,
    )


def _register_models() -> None:
    # Importing the model modules registers their tables on the shared metadata.
    from pixgate.charges import models as _charges  # noqa: F401
    from pixgate.cobv import models as _cobv  # noqa: F401
    from pixgate.dashboard import models as _dashboard  # noqa: F401
    from pixgate.idempotency import models as _idempotency  # noqa: F401
    from pixgate.jws import models as _jws  # noqa: F401
    from pixgate.locations import models as _locations  # noqa: F401
    from pixgate.oauth import models as _oauth  # noqa: F401
    from pixgate.outbox import models as _outbox  # noqa: F401
    from pixgate.psp import models as _psp  # noqa: F401
    from pixgate.refunds import models as _refunds  # noqa: F401
    from pixgate.webhooks import models as _webhooks  # noqa: F401
