"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 13:30:16.510684
"""

import sqlalchemy as sa
from alembic import op

import pixgate.db.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('locations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=77), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations')),
    sa.UniqueConstraint('token', name=op.f('uq_locations_token'))
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locations_created_at'), ['created_at'], unique=False)

    op.create_table('oauth_clients',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.String(length=400), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_oauth_clients_client_id'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('claimed_until', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('published_at', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index('ix_outbox_pending', ['published_at', 'id'], unique=False)

    op.create_table('signing_keys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('cert_pem', sa.Text(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_signing_keys_kid'))
    )
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('give_up_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('delivered_at', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    sa.UniqueConstraint('event_id', 'url', name='uq_delivery_event_url')
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_event_id'), ['event_id'], unique=False)

    op.create_table('webhook_endpoints',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('chave', sa.String(length=77), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints')),
    sa.UniqueConstraint('chave', name=op.f('uq_webhook_endpoints_chave'))
    )
    op.create_table('charges',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('txid', sa.String(length=35), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('brcode', sa.Text(), nullable=False),
    sa.Column('pix_key', sa.String(length=77), nullable=False),
    sa.Column('merchant_name', sa.String(length=25), nullable=False),
    sa.Column('merchant_city', sa.String(length=15), nullable=False),
    sa.Column('description', sa.String(length=140), nullable=True),
    sa.Column('return_url', sa.String(length=2048), nullable=True),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('paid_at', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('debtor', sa.JSON(), nullable=True),
    sa.Column('debtor_document', sa.String(length=14), nullable=True),
    sa.Column('payer_request', sa.String(length=140), nullable=True),
    sa.Column('extra_info', sa.JSON(), nullable=True),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_charges_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charges')),
    sa.UniqueConstraint('location_id', name=op.f('uq_charges_location_id')),
    sa.UniqueConstraint('txid', name=op.f('uq_charges_txid'))
    )
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charges_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_charges_debtor_document'), ['debtor_document'], unique=False)
        batch_op.create_index(batch_op.f('ix_charges_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_charges_status'), ['status'], unique=False)

    op.create_table('oauth_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('scopes', sa.String(length=400), nullable=False),
    sa.Column('expires_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_clients.id'], name=op.f('fk_oauth_tokens_client_id_oauth_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_oauth_tokens_token_hash'))
    )
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_tokens_expires_at'), ['expires_at'], unique=False)

    op.create_table('webhook_attempts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'], name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts'))
    )
    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_attempts_delivery_id'), ['delivery_id'], unique=False)

    op.create_table('charge_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], name=op.f('fk_charge_events_charge_id_charges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge_events'))
    )
    with op.batch_alter_table('charge_events', schema=None) as batch_op:
        batch_op.create_index('ix_charge_events_charge_id_id', ['charge_id', 'id'], unique=False)

    op.create_table('charge_revisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], name=op.f('fk_charge_revisions_charge_id_charges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge_revisions')),
    sa.UniqueConstraint('charge_id', 'revision', name='uq_charge_revision')
    )
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], name=op.f('fk_idempotency_keys_charge_id_charges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('scope', 'key', name='uq_idempotency_scope_key')
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_created_at'), ['created_at'], unique=False)

    op.create_table('received_pix',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('end_to_end_id', sa.String(length=32), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('txid', sa.String(length=35), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('refunded_cents', sa.BigInteger(), nullable=False),
    sa.Column('payer', sa.JSON(), nullable=True),
    sa.Column('payer_document', sa.String(length=14), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('received_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], name=op.f('fk_received_pix_charge_id_charges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_pix')),
    sa.UniqueConstraint('end_to_end_id', name=op.f('uq_received_pix_end_to_end_id'))
    )
    with op.batch_alter_table('received_pix', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_pix_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_pix_payer_document'), ['payer_document'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_pix_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_pix_txid'), ['txid'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pix_id', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.String(length=35), nullable=False),
    sa.Column('rtr_id', sa.String(length=32), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=140), nullable=True),
    sa.Column('nature', sa.String(length=20), nullable=False),
    sa.Column('failure', sa.String(length=140), nullable=True),
    sa.Column('requested_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('settled_at', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pix_id'], ['received_pix.id'], name=op.f('fk_refunds_pix_id_received_pix')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('pix_id', 'refund_id', name='uq_refunds_pix_refund_id'),
    sa.UniqueConstraint('rtr_id', name=op.f('uq_refunds_rtr_id'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_pix_id'), ['pix_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_pix_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('received_pix', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_pix_txid'))
        batch_op.drop_index(batch_op.f('ix_received_pix_received_at'))
        batch_op.drop_index(batch_op.f('ix_received_pix_payer_document'))
        batch_op.drop_index(batch_op.f('ix_received_pix_charge_id'))

    op.drop_table('received_pix')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_created_at'))

    op.drop_table('idempotency_keys')
    op.drop_table('charge_revisions')
    with op.batch_alter_table('charge_events', schema=None) as batch_op:
        batch_op.drop_index('ix_charge_events_charge_id_id')

    op.drop_table('charge_events')
    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_attempts_delivery_id'))

    op.drop_table('webhook_attempts')
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_tokens_expires_at'))

    op.drop_table('oauth_tokens')
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charges_status'))
        batch_op.drop_index(batch_op.f('ix_charges_expires_at'))
        batch_op.drop_index(batch_op.f('ix_charges_debtor_document'))
        batch_op.drop_index(batch_op.f('ix_charges_created_at'))

    op.drop_table('charges')
    op.drop_table('webhook_endpoints')
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_event_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_charge_id'))
        batch_op.drop_index('ix_delivery_due')

    op.drop_table('webhook_deliveries')
    op.drop_table('signing_keys')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')
        batch_op.drop_index(batch_op.f('ix_outbox_charge_id'))

    op.drop_table('outbox')
    op.drop_table('oauth_clients')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_created_at'))

    op.drop_table('locations')
