namespace Attribution.Tests.Infrastructure;

/// <summary>A browser theory: skipped like <see cref="BrowserFactAttribute"/> when no browser is installed.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!BrowserAvailability.ShouldRun)
        {
            Skip = $"needs a browser: install Chromium (apt-get install chromium) or set ATTRIBUTION_BROWSER; looked for {BrowserAvailability.ExecutablePath}";
        }
    }
}
