using System.Text.Json;
using System.Text.Json.Serialization;

namespace Attribution.Backfill;

/// <summary>
/// Where an interrupted run stopped: the list page it was on and the <c>updated_at</c> of the last PR it
/// finished. The list is sorted by <c>updated_at</c> descending, so a resumed run starts at that page and
/// skips PRs updated after <see cref="Reached"/> (they were done, or moved there from earlier pages).
/// Cleared when a run completes.
/// </summary>
public sealed record BackfillCursor(
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("reached")] DateTimeOffset Reached,
    [property: JsonPropertyName("number")] long Number)
{
    public const string Source = "backfill";

    public static string Scope(string provider, string repoSlug) => $"{provider}:{repoSlug.ToLowerInvariant()}";

    public string Serialize() => JsonSerializer.Serialize(this);

    public static BackfillCursor? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var cursor = JsonSerializer.Deserialize<BackfillCursor>(text);
            return cursor is { Page: > 0 } ? cursor : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the PR was finished by the interrupted run.</summary>
    public bool AlreadyDone(DateTimeOffset? updatedAt, long number) =>
        updatedAt is { } at && (at > Reached || (at == Reached && number == Number));
}
