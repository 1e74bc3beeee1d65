namespace Attribution.Reports;

/// <summary>Rows, or the validation errors (by parameter) that kept the query from running.</summary>
public sealed record ListAnswer<T>(IReadOnlyList<T> Items, IReadOnlyDictionary<string, string[]>? Errors)
{
    public static ListAnswer<T> Of(IReadOnlyList<T> items) => new(items, null);

    public static ListAnswer<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new([], errors);

    /// <summary>The errors as one sentence (CLI, MCP).</summary>
    public string ErrorText => Errors is null ? "" : string.Join(" ", Errors.Values.SelectMany(v => v));
}
