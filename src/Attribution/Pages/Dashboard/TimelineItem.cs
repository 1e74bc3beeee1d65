namespace Attribution.Pages.Dashboard;

/// <summary>
/// One entry of a session's timeline. <see cref="Href"/> is a local link; <see cref="ExternalUrl"/> is an
/// http(s) link to the provider (rendered with rel="noopener noreferrer").
/// </summary>
public sealed record TimelineItem(
    DateTimeOffset? At,
    string Kind,
    string Title,
    string? Detail = null,
    string? Href = null,
    string? ExternalUrl = null,
    string? LinkType = null,
    double? Confidence = null,
    string? Evidence = null,
    EvidenceView? Explained = null);
