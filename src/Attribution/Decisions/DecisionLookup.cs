using System.Text.RegularExpressions;
using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions;

/// <summary>
/// Finds a decision by the id a CSTP client sends: the full id, or a prefix of at least
/// <see cref="MinPrefix"/> characters that names exactly one decision (CSTP matches prefixes too).
/// </summary>
public static partial class DecisionLookup
{
    public const int MinPrefix = 4;

    /// <summary>Reads the id (<paramref name="names"/> in order, e.g. <c>id</c> then <c>decision_id</c>) and checks its form.</summary>
    public static string ReadId(RpcParams parameters, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(names);
        var name = names.FirstOrDefault(parameters.Has) ?? names[0];
        var id = parameters.String(name, 64, required: true)!;
        return IdForm().IsMatch(id) ? id : throw parameters.Invalid(name, "must be a decision id (letters, digits, '-' or '_')");
    }

    /// <summary>The decision, or null when none has this id or prefix; an ambiguous prefix is an invalid-params error listing candidates.</summary>
    public static async Task<DecisionRecord?> FindAsync(DecisionStore store, RpcParams parameters, string name, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(parameters);
        if (await store.FindAsync(id, cancellationToken) is { } exact)
        {
            return exact;
        }

        if (id.Length < MinPrefix)
        {
            return null;
        }

        var candidates = await store.FindIdsByPrefixAsync(id, cancellationToken);
        return candidates.Count switch
        {
            0 => null,
            1 => await store.FindAsync(candidates[0], cancellationToken),
            _ => throw parameters.Invalid(name, $"is an ambiguous prefix: it matches {string.Join(", ", candidates)}"),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex IdForm();
}
