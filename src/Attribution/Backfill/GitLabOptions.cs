namespace Attribution.Backfill;

/// <summary>GitLab REST backfill.</summary>
public sealed class GitLabOptions
{
    public const string Section = "Attribution:GitLab";

    public string? Token { get; set; }
    public string Url { get; set; } = "https://gitlab.com/";
}
