"""received Pix store, charges held at a PSP, refunds sent upstream, reconciliation cursor

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:40:00
"""

import sqlalchemy as sa
from alembic import op

import pixgate.db.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A Pix that cannot settle a charge is kept too: no charge, maybe no txid, and why.
    with op.batch_alter_table('received_pix', schema=None) as batch_op:
        batch_op.alter_column('charge_id', existing_type=sa.BigInteger(), nullable=True)
        batch_op.alter_column('txid', existing_type=sa.String(length=35), nullable=True)
        batch_op.add_column(sa.Column('match_status', sa.String(length=16), nullable=False,
                                      server_default='matched'))
        batch_op.add_column(sa.Column('reason', sa.String(length=20), nullable=True))
        batch_op.create_index('ix_received_pix_match_status', ['match_status'], unique=False)
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('psp', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('psp_location', sa.String(length=140), nullable=True))
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', pixgate.db.types.UTCDateTime(), nullable=True))
    op.create_table('psp_cursors',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('watermark', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.Column('claimed_until', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_psp_cursors'))
    )


def downgrade() -> None:
    op.drop_table('psp_cursors')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.drop_column('psp_location')
        batch_op.drop_column('psp')
    unmatched = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM received_pix WHERE charge_id IS NULL")).scalar()
    if unmatched:
        # The old schema cannot hold a Pix without a charge; dropping them would lose money.
        raise RuntimeError(f"{unmatched} received Pix have no charge; refund or export them first")
    with op.batch_alter_table('received_pix', schema=None) as batch_op:
        batch_op.drop_index('ix_received_pix_match_status')
        batch_op.drop_column('reason')
        batch_op.drop_column('match_status')
        batch_op.alter_column('txid', existing_type=sa.String(length=35), nullable=False)
        batch_op.alter_column('charge_id', existing_type=sa.BigInteger(), nullable=False)
