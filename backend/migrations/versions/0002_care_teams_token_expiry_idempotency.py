"""care teams, token expiry, idempotency keys, denial counts

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00

Existing tokens expire 90 days after they were created (THERAPY_TOKEN_DAYS applies to new ones). Existing
patients get the clinician who created them (the audit trail's ok `patient.create` row) as their care team;
patients created from the CLI have none until `main.py patients assign`.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

LEGACY_TOKEN_DAYS = 90


def upgrade() -> None:
    op.create_table('patient_clinicians',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('patient_id', 'user_id')
    )
    with op.batch_alter_table('patient_clinicians', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patient_clinicians_user_id'), ['user_id'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_user_key')
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_created_at'), ['created_at'], unique=False)

    op.create_table('denial_counts',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('source', 'window_start')
    )
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    tokens = sa.table('tokens', sa.column('id', sa.Integer()), sa.column('created_at', sa.DateTime(timezone=True)),
                      sa.column('expires_at', sa.DateTime(timezone=True)))
    for token_id, created in conn.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
        conn.execute(tokens.update().where(tokens.c.id == token_id)
                     .values(expires_at=created + timedelta(days=LEGACY_TOKEN_DAYS)))
    creators = conn.execute(sa.text(
        "SELECT DISTINCT a.patient_id, u.id FROM audit_log a JOIN users u ON u.name = a.actor "
        "JOIN patients p ON p.id = a.patient_id "
        "WHERE a.action = 'patient.create' AND a.outcome = 'ok' AND u.role = 'clinician'")).all()
    team = sa.table('patient_clinicians', sa.column('patient_id', sa.Integer()), sa.column('user_id', sa.Integer()),
                    sa.column('assigned_at', sa.DateTime(timezone=True)))
    now = datetime.now(timezone.utc)
    for patient_id, user_id in creators:
        conn.execute(team.insert().values(patient_id=patient_id, user_id=user_id, assigned_at=now))


def downgrade() -> None:
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    op.drop_table('denial_counts')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_created_at'))
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('patient_clinicians', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patient_clinicians_user_id'))
    op.drop_table('patient_clinicians')
