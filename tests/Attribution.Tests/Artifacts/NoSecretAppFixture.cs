using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Artifacts;

/// <summary>A host without a signing secret (the background sweeper waits an hour between passes).</summary>
public sealed class NoSecretAppFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Attribution:Artifacts:SweepIntervalSeconds"] = "3600",
        ["Attribution:Artifacts:SweepSettleSeconds"] = "0",
    };
}
