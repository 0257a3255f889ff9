"""The sample project validates and lists; every command's --help works."""

from kitgen.cli import main


def test_sample_project_validates(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert "3 files valid" in result.output


def test_list_shows_both_roles(cli):
    result = cli("list")
    assert result.exit_code == 0
    assert "directeur-ecommerce  Directeur ou directrice e-commerce  fr" in result.output
    assert "backend-engineer" in result.output


def test_every_command_has_help(cli):
    for name in main.commands:
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
