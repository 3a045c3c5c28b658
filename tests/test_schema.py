from django.core.management import call_command


def test_it_generates_the_openapi_schema_without_warnings(db, tmp_path):
    """The same generation `check --deploy` runs: a warning there would fail the deployment checks."""
    output = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    schema = output.read_text(encoding="utf-8")
    for path in ("/api/organizations/{id}/", "/api/regulations/{id}/", "/api/versions/{id}/", "/api/amendments/{id}/",
                 "/api/search/", "/api/versions/{id}/compare/{other_pk}/"):  # fmt: skip
        assert path in schema
