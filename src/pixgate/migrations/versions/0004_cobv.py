"""cobv: due-date charges on the charges table, payer-chosen amounts, lotecobv batches

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import pixgate.db.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on every backend: a SQLite batch would copy `charges` and drop the old
    # table, and with foreign keys on that cascades into charge_events (rows lost).
    op.add_column('charges', sa.Column('due_date', sa.Date(), nullable=True))
    op.add_column('charges', sa.Column('validity_days', sa.Integer(), nullable=True))
    op.add_column('charges', sa.Column('terms', sa.JSON(), nullable=True))
    op.add_column('charges', sa.Column('creditor', sa.JSON(), nullable=True))
    op.add_column('charges', sa.Column('batch_id', sa.Integer(), nullable=True))
    op.add_column('charges', sa.Column('amount_editable', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.create_index(op.f('ix_charges_batch_id'), 'charges', ['batch_id'], unique=False)

    op.create_table('cobv_batches',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cobv_batches'))
    )
    with op.batch_alter_table('cobv_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cobv_batches_created_at'), ['created_at'],
                              unique=False)

    op.create_table('cobv_batch_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('txid', sa.String(length=35), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('problem', sa.JSON(), nullable=True),
    sa.Column('created_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['cobv_batches.id'],
                            name=op.f('fk_cobv_batch_items_batch_id_cobv_batches'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cobv_batch_items')),
    sa.UniqueConstraint('batch_id', 'txid', name='uq_cobv_batch_item')
    )


def downgrade() -> None:
    op.drop_table('cobv_batch_items')
    with op.batch_alter_table('cobv_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cobv_batches_created_at'))
    op.drop_table('cobv_batches')
    op.drop_index(op.f('ix_charges_batch_id'), table_name='charges')
    for name in ('amount_editable', 'batch_id', 'creditor', 'terms', 'validity_days',
                 'due_date'):
        op.drop_column('charges', name)  # SQLite 3.35+ drops columns in place
