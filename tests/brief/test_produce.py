"""Who may have which brief, in the data layer and on the command line, and the audit log's
record of every brief produced or refused."""

from __future__ import annotations

import pytest
from cli_runner import run_etl

from etl.access import audit
from etl.access.scopes import Scope
from etl.brief.produce import BriefRefused, produce


@pytest.mark.parametrize(
    ("role", "own", "province", "message"),
    [
        ("bureau", "浙江", "江苏", "省局用户只能生成本省（浙江）的分析报告。"),
        ("bureau", "浙江", None, "省局用户只能生成本省（浙江）的分析报告。"),
        ("researcher", None, "浙江", "研究人员角色只能生成全国分析报告，不能生成分省报告。"),
        ("admin", None, None, "管理员角色不能生成分析报告。"),
    ],
)
def test_a_brief_the_role_may_not_have_is_refused_and_logged(demo_db, role, own, province, message):
    scope = Scope.of(role, own)
    with pytest.raises(BriefRefused, match=message):
        produce(demo_db, scope, 2024, province, "docx", "张三")
    last = audit.events().row(-1, named=True)
    assert (last["who"], last["action"], last["role"]) == ("张三", "report", scope.key)
    assert last["detail"].startswith(f"已拒绝（{message}）")


def test_a_province_named_another_way_is_the_same_province(demo_db):
    with pytest.raises(BriefRefused, match="“火星”不是省级单位的名称"):
        produce(demo_db, Scope.of("leader"), 2024, "火星", "docx", "张三")
    with pytest.raises(BriefRefused, match="格式“html”不可用"):
        produce(demo_db, Scope.of("leader"), 2024, None, "html", "张三")


@pytest.mark.slow
def test_every_brief_produced_is_in_the_audit_log(demo_db):
    made = produce(demo_db, Scope.of("bureau", "浙江"), 2024, "浙江省", "docx", "李四")
    assert made.file_name == "2024年浙江广播电视媒体融合典型案例征集推选情况分析.docx"
    assert made.content[:2] == b"PK"  # a .docx is a zip
    last = audit.events().row(-1, named=True)
    assert (last["who"], last["action"], last["role"]) == ("李四", "report", "bureau:浙江")
    assert last["detail"] == "2024年浙江广播电视媒体融合典型案例征集推选情况分析（docx）"
    assert last["rows"] == len(made.content)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--province", "江苏", "--role", "bureau:浙江"],
            "省局用户只能生成本省（浙江）的分析报告。",
        ),
        (["--role", "bureau"], "省局用户必须指定省份"),
        (["--province", "火星"], "“火星”不是省级单位的名称"),
        (["--role", "guest"], "没有角色“guest”"),
    ],
)
def test_the_command_refuses_with_a_sentence_and_exit_2(demo_db, tmp_path, args, message):
    out = tmp_path / "brief.docx"
    ran = run_etl("report", "--db", str(demo_db), "--year", "2024", "--out", str(out), *args)
    assert ran.returncode == 2
    assert message in ran.stderr
    assert "Traceback" not in ran.stderr + ran.stdout
    assert not out.exists()
