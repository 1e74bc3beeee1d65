using System.Security.Cryptography;

namespace Attribution.Decisions;

/// <summary>CSTP-style ids: 8 lowercase hex digits (32 random bits); bug reports are <c>bug-</c> plus 8 hex.</summary>
public static class DecisionIds
{
    public static string NewDecisionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static string NewBugId() => "bug-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
