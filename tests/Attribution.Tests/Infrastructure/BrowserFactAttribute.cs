namespace Attribution.Tests.Infrastructure;

/// <summary>
/// A test that drives a real browser. CI (<c>CI=true</c>) and anyone who sets <c>ATTRIBUTION_BROWSER</c> always run it
/// (and it fails when the browser is missing); elsewhere it is skipped, with this reason, when Debian's Chromium is
/// not installed, so a newcomer's first <c>dotnet test</c> does not fail for a missing browser.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserAvailability.ShouldRun)
        {
            Skip = $"needs a browser: install Chromium (apt-get install chromium) or set ATTRIBUTION_BROWSER; looked for {BrowserAvailability.ExecutablePath}";
        }
    }
}

/// <summary>Where the test browser is, and whether browser tests must run.</summary>
public static class BrowserAvailability
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("ATTRIBUTION_BROWSER") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>CI or an explicit browser path: the browser tests must run.</summary>
    public static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ATTRIBUTION_BROWSER"));

    public static bool ShouldRun => Required || File.Exists(ExecutablePath);
}
