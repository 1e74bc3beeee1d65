namespace Attribution.Sessions;

/// <summary>Session transcript ingest.</summary>
public sealed class SessionOptions
{
    public const string Section = "Attribution:Sessions";

    public bool Watch { get; set; } = true;
    public string? PricesPath { get; set; }
}
