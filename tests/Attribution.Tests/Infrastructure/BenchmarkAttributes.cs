namespace Attribution.Tests.Infrastructure;

/// <summary>
/// A measurement, not a test: runs only when <c>ATTRIBUTION_BENCH</c> is set, so timings never decide a
/// normal (shared, noisy) test run. See bench/README.md.
/// </summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ATTRIBUTION_BENCH")))
        {
            Skip = "benchmark: set ATTRIBUTION_BENCH=1 to run";
        }
    }
}

/// <summary>The theory form of <see cref="BenchFactAttribute"/>.</summary>
public sealed class BenchTheoryAttribute : TheoryAttribute
{
    public BenchTheoryAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ATTRIBUTION_BENCH")))
        {
            Skip = "benchmark: set ATTRIBUTION_BENCH=1 to run";
        }
    }
}
