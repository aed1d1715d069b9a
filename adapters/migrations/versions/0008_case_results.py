"""result dictionary (inspection case): the §6 codes of DOMAIN.md, editable by the office

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 06:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# (code, name, parent, counts as problem): a real provincial system's codes, in display order
SEED = [
    ('1', '未发现问题', None, False),
    ('A', '发现问题待后续处理', None, True),
    ('2', '违反工商行政管理相关规定', 'A', True),
    ('B', '未按规定公示应当公示的信息', 'A', True),
    ('C', '公示信息隐瞒真实情况弄虚作假', 'A', True),
    ('6', '通过登记的住所（经营场所）无法联系', 'A', True),
    ('D', '违反其他工商行政管理规定行为', 'A', True),
    ('3', '违反食品药品监管相关规定', 'A', True),
    ('4', '违反质量技术监督相关规定', 'A', True),
    ('5', '违反其他部门监管相关规定', 'A', True),
    ('G', '违反公安机关监管相关规定', 'A', True),
    ('E', '发现问题已责令改正', None, False),
    ('F', '未发现开展本次抽查涉及的经营活动', None, False),
    ('7', '已关闭停业或正在组织清算', None, False),
    ('8', '不配合检查情节严重', None, True),
    ('9', '注销', None, False),
    ('10', '被吊销', None, False),
    ('11', '被撤销', None, False),
    ('12', '迁出', None, False),
]


def upgrade():
    table = op.create_table('result_codes',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('parent_code', sa.String(length=8), nullable=True),
    sa.Column('counts_as_problem', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['result_codes.code'], name=op.f('fk_result_codes_parent_code_result_codes')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_result_codes'))
    )
    with op.batch_alter_table('result_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_codes_parent_code'), ['parent_code'], unique=False)

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    op.bulk_insert(table, [
        {'code': code, 'name': name, 'parent_code': parent, 'counts_as_problem': problem,
         'sort_order': (n + 1) * 10, 'active': True, 'used_at': None, 'created_at': now, 'updated_at': now}
        for n, (code, name, parent, problem) in enumerate(SEED)
    ])


def downgrade():
    with op.batch_alter_table('result_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_codes_parent_code'))

    op.drop_table('result_codes')
