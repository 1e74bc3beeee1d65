using System.Text.Json;

namespace Attribution.Tests.Architecture;

/// <summary>Uses JsonDocument only inside a closure and Boundaries only through a static call, so a test can prove IL and nested types are read.</summary>
public static class LambdaUser
{
    public static Func<string, int> Parse() => text =>
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetArrayLength() + Boundaries.OnlyIn.Count;
    };
}
