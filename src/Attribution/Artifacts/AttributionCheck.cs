namespace Attribution.Artifacts;

/// <summary>The verdict on one piece of metadata with a sentence saying why.</summary>
public sealed record AttributionCheck(AttributionVerdict Verdict, string Reason, AttributionMetadata? Metadata)
{
    public bool IsValid => Verdict == AttributionVerdict.Valid;
}
