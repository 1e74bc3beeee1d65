namespace Attribution.Backfill;

/// <summary>GitHub REST backfill.</summary>
public sealed class GitHubOptions
{
    public const string Section = "Attribution:GitHub";

    public string? Token { get; set; }
    public string ApiUrl { get; set; } = "https://api.github.com/";
}
