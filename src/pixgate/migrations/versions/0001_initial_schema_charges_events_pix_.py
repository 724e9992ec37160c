"""initial schema: charges, events, pix, refunds, outbox, webhooks, idempotency

Revision ID: 0001
Revises:
Create Date: 2026-11-26 13:16:39.514611
"""

import sqlalchemy as sa
from alembic import op

import pixgate.db.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
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
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('txid')
    )
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charges_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_charges_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_charges_status'), ['status'], unique=False)

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
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index('ix_outbox_pending', ['published_at', 'id'], unique=False)

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
    sa.PrimaryKeyConstraint('id'),
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
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('chave')
    )
    op.create_table('charge_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('charge_events', schema=None) as batch_op:
        batch_op.create_index('ix_charge_events_charge_id_id', ['charge_id', 'id'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('charge_id', sa.Integer(), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
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
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('received_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['charge_id'], ['charges.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('end_to_end_id')
    )
    with op.batch_alter_table('received_pix', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_pix_charge_id'), ['charge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_pix_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_pix_txid'), ['txid'], unique=False)

    op.create_table('webhook_attempts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_attempts_delivery_id'), ['delivery_id'], unique=False)

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
    sa.ForeignKeyConstraint(['pix_id'], ['received_pix.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pix_id', 'refund_id', name='uq_refunds_pix_refund_id'),
    sa.UniqueConstraint('rtr_id')
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_pix_id'), ['pix_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_pix_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_attempts_delivery_id'))

    op.drop_table('webhook_attempts')
    with op.batch_alter_table('received_pix', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_pix_txid'))
        batch_op.drop_index(batch_op.f('ix_received_pix_received_at'))
        batch_op.drop_index(batch_op.f('ix_received_pix_charge_id'))

    op.drop_table('received_pix')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_created_at'))

    op.drop_table('idempotency_keys')
    with op.batch_alter_table('charge_events', schema=None) as batch_op:
        batch_op.drop_index('ix_charge_events_charge_id_id')

    op.drop_table('charge_events')
    op.drop_table('webhook_endpoints')
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_event_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_charge_id'))
        batch_op.drop_index('ix_delivery_due')

    op.drop_table('webhook_deliveries')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')
        batch_op.drop_index(batch_op.f('ix_outbox_charge_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charges_status'))
        batch_op.drop_index(batch_op.f('ix_charges_expires_at'))
        batch_op.drop_index(batch_op.f('ix_charges_created_at'))

    op.drop_table('charges')
