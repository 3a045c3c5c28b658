import pytest
from django.core.management import CommandError, call_command

from tests.pdf import poppler


def test_it_writes_the_version_to_the_file(corpus_version, tmp_path, capsys):
    output = tmp_path / "quy-dinh.pdf"
    call_command("export_pdf", str(corpus_version.pk), "--output", str(output))
    assert capsys.readouterr().out.strip() == str(output)
    assert "Số 01-QĐ/ĐU" in poppler.text(output.read_bytes(), page=1)


def test_it_names_the_file_after_the_number_by_default(corpus_version, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("export_pdf", str(corpus_version.pk))
    assert (tmp_path / "01-QD-DU.pdf").read_bytes().startswith(b"%PDF-")


def test_it_refuses_a_version_that_does_not_exist(db, tmp_path):
    with pytest.raises(CommandError, match="Không có phiên bản mã 999999."):
        call_command("export_pdf", "999999", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_it_says_when_the_file_cannot_be_written(corpus_version, tmp_path):
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        call_command("export_pdf", str(corpus_version.pk), "--output", str(tmp_path / "missing" / "x.pdf"))
