"""security review (issue 11): random BIGINT charge ids, webhook secrets, revocation, throttle

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:50:00
"""

import sqlalchemy as sa
from alembic import op

import pixgate.db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (table, nullable, ON DELETE) of every column holding a charge id besides charges.id itself;
# an ON DELETE of '' marks a column without a foreign key.
CHARGE_ID_COLUMNS = [('charge_events', False, 'CASCADE'), ('charge_revisions', False, 'CASCADE'),
                     ('idempotency_keys', False, 'CASCADE'), ('received_pix', False, None),
                     ('outbox', True, ''), ('webhook_deliveries', True, '')]


def _charge_ids(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    # SQLite's INTEGER already holds 64 bits: only MariaDB and PostgreSQL need wider columns.
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        return
    mysql = {'autoincrement': False} if dialect in ('mysql', 'mariadb') else {}
    keyed = [(table, ondelete) for table, _, ondelete in CHARGE_ID_COLUMNS if ondelete != '']
    for table, _ in keyed:  # MariaDB cannot retype a column a foreign key points at
        op.drop_constraint(f'fk_{table}_charge_id_charges', table, type_='foreignkey')
    op.alter_column('charges', 'id', existing_type=old, type_=new, existing_nullable=False,
                    **mysql)
    for table, nullable, _ in CHARGE_ID_COLUMNS:
        op.alter_column(table, 'charge_id', existing_type=old, type_=new,
                        existing_nullable=nullable)
    for table, ondelete in keyed:
        op.create_foreign_key(f'fk_{table}_charge_id_charges', table, 'charges',
                              ['charge_id'], ['id'], ondelete=ondelete)


def upgrade() -> None:
    _charge_ids(sa.Integer(), sa.BigInteger())
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sa.String(length=64), nullable=True))
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('endpoint_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('oauth_clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', pixgate.db.types.UTCDateTime(),
                                      nullable=True))
    op.create_table('login_failures',
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', pixgate.db.types.UTCDateTime(), nullable=False),
    sa.Column('blocked_until', pixgate.db.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('client', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_last_failure_at'),
                              ['last_failure_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_last_failure_at'))
    op.drop_table('login_failures')
    with op.batch_alter_table('oauth_clients', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_column('endpoint_id')
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.drop_column('secret')
    _charge_ids(sa.BigInteger(), sa.Integer())  # only while every id still fits in 32 bits
