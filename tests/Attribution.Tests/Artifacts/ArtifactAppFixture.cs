using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Artifacts;

/// <summary>A host with a signing secret and instance id; the background sweeper waits an hour between passes so tests drive it.</summary>
public sealed class ArtifactAppFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Attribution:Signing:Secret"] = ArtifactTestData.Secret,
        ["Attribution:Signing:InstanceId"] = ArtifactTestData.InstanceId,
        ["Attribution:Artifacts:SweepIntervalSeconds"] = "3600",
        ["Attribution:Artifacts:SweepSettleSeconds"] = "0",
    };
}
