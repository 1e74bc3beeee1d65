namespace Attribution.Reports;

/// <summary>Commit shas as users type them: 7 to 40 hexadecimal characters, full or abbreviated.</summary>
public static class ShaText
{
    public const int MinLength = 7;
    public const int FullLength = 40;

    /// <summary>True for 7–40 ASCII hex characters (nothing else: no path characters, no wildcards).</summary>
    public static bool IsValid(string? text) =>
        text is { Length: >= MinLength and <= FullLength } && text.All(char.IsAsciiHexDigit);

    /// <summary>The validation message for a sha that is not <see cref="IsValid"/>.</summary>
    public const string Rule = "A commit sha is 7 to 40 hexadecimal characters.";

    /// <summary>The 7-character form shown to people.</summary>
    public static string Short(string sha) => sha.Length <= MinLength ? sha : sha[..MinLength];
}
