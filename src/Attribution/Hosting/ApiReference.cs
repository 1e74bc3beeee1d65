using Scalar.AspNetCore;

namespace Attribution.Hosting;

/// <summary>
/// The API reference page (<c>/api-reference/v1</c>): this product's endpoints from its OpenAPI document, served
/// offline from the bundle the package embeds: no vendor buttons (deploy, AI chat, MCP), no fonts or telemetry from
/// a third-party host.
/// </summary>
public static class ApiReference
{
    /// <summary>What the API is, shown at the top of the reference.</summary>
    public const string Description = """
        Attribution links agent sessions (Claude Code, Codex, ...) to the commits they made, the pull/merge requests
        holding them, the CI runs on them and every later change to the same code, and says whether the work held up.

        - **Attribution**: `GET /api/attribution/commit/{sha}` and `GET /api/attribution/session/{id}` answer the commit
          and session documents (links with their evidence and calibrated confidence, PRs, CI, downstream touches,
          line survival, still good after 14 days).
        - **Outcomes**: `/api/yield` (per session and per agent/model), `/api/pr-outcomes`, `/api/ci-runs`,
          `/api/pr-attribution` (who reviewed, implemented and integrated each PR, and what it cost).
        - **Ingest**: webhook receivers `POST /api/webhooks/github`, `/gitlab` and `/ci` (Standard Webhooks), `POST /api/sessions/import`.
        - **Decisions**: `POST /cstp` (JSON-RPC 2.0).

        When an API key is configured (`ATTRIBUTION_API_KEY`), send it as `Authorization: Bearer <key>`. Errors are
        RFC 9457 problem documents.
        """;

    public static void Configure(ScalarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.WithTitle("Attribution API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools();
    }
}
