using System.Globalization;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Case count and seed of the fuzz runs. The test suite runs a bounded number with a fixed seed; the long run
/// (bench/reliability/fuzz.sh) raises them with <c>ATTRIBUTION_FUZZ_CASES</c> and <c>ATTRIBUTION_FUZZ_SEED</c>.
/// </summary>
public static class FuzzSettings
{
    public static int Cases(int bounded) => Read("ATTRIBUTION_FUZZ_CASES") is { } cases and > 0 ? cases : bounded;

    public static int Seed => Read("ATTRIBUTION_FUZZ_SEED") ?? 20261125;

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
