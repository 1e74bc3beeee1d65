namespace Attribution.Pages.Dashboard;

/// <summary>One cell of a dashboard table: its text (also what the CSV holds), an optional link, and how it looks (<see cref="Badge"/>: a class for a span around the text).</summary>
public sealed record Cell(string Text, string? Href = null, string? Css = null, bool Code = false, string? Hint = null, string? Badge = null)
{
    public static implicit operator Cell(string text) => new(text);
}
