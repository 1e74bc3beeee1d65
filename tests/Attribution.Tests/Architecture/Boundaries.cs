namespace Attribution.Tests.Architecture;

/// <summary>
/// The intended boundaries of <c>src/Attribution</c> (docs/architecture.md): which folders each folder may use,
/// and which packages only one folder may use. Pure: <see cref="Violations"/> checks a reference map.
/// </summary>
public static class Boundaries
{
    private static readonly string[] Features = ["Sessions", "Sources", "Git", "Ingest", "Linking", "Artifacts", "Providers", "Webhooks", "Backfill", "Decisions", "Stages", "Yield", "Reports"];

    /// <summary>Folder → the other folders it may use. A folder missing here may use nothing of ours.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Common"] = [],
        ["Store"] = ["Common"],
        ["Git"] = ["Common"],
        ["Providers"] = ["Common", "Store"],
        ["Sessions"] = ["Common", "Store", "Git"],
        ["Sources"] = ["Common", "Store", "Git", "Sessions"],
        ["Ingest"] = ["Common", "Store", "Git", "Sessions", "Sources"],
        ["Linking"] = ["Common", "Store", "Git", "Sessions", "Sources", "Ingest"],
        ["Artifacts"] = ["Common", "Store", "Git", "Linking"],
        ["Webhooks"] = ["Common", "Store", "Providers"],
        ["Backfill"] = ["Common", "Store", "Providers"],
        ["Decisions"] = ["Common", "Store", "Git", "Linking"],
        ["Stages"] = ["Common", "Store", "Linking", "Sessions"],
        ["Yield"] = ["Common", "Store", "Linking", "Stages"],
        ["Reports"] = ["Common", "Store", "Linking", "Stages", "Yield", "Decisions", "Artifacts"],
        ["Operations"] = ["Common", "Store"],
        ["Api"] = ["Common", "Reports", "Linking", "Stages", "Yield", "Decisions", "Artifacts", "Sessions", "Git", "Webhooks", "Backfill", "Sources"],
        ["Mcp"] = ["Common", "Reports", "Yield", "Stages", "Decisions"],
        ["Pages"] = ["Common", "Reports", "Linking", "Stages", "Yield", "Decisions", "Webhooks"],
        ["Hosting"] = ["Common", "Store", "Operations", "Api", "Mcp", "Pages", .. Features],
        ["(root)"] = ["Common", "Hosting"],
    };

    /// <summary>Package (assembly) → the only folder whose types may use it.</summary>
    public static readonly IReadOnlyDictionary<string, string> OnlyIn = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LibGit2Sharp"] = "Git",
        ["Dapper"] = "Store",
        ["Microsoft.Data.Sqlite"] = "Store",
        ["Npgsql"] = "Store",
        ["System.Data.Common"] = "Store",
    };

    /// <summary>A feature's wiring (its <c>XxxModule</c> and CLI command classes) is its share of the composition root and may use Hosting.</summary>
    public static bool IsWiring(string typeFullName)
    {
        var name = typeFullName[(typeFullName.LastIndexOf('.') + 1)..];
        return name.EndsWith("Module", StringComparison.Ordinal) || name.EndsWith("Commands", StringComparison.Ordinal) || name.EndsWith("Command", StringComparison.Ordinal);
    }

    /// <summary>Every forbidden use, as <c>type → used type (rule)</c>, sorted.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, HashSet<string>> uses)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (type, used) in uses)
        {
            var from = FolderOf.Type(type);
            if (from is null)
            {
                continue;
            }

            foreach (var reference in used)
            {
                if (FolderOf.Assembly(reference) is { } package)
                {
                    if (OnlyIn.TryGetValue(package, out var owner) && owner != from)
                    {
                        found.Add($"{type} → {reference} ({package} is for {owner}/ only)");
                    }

                    continue;
                }

                var to = FolderOf.Type(reference);
                if (to is null || to == from)
                {
                    continue;
                }

                var allowed = MayUse.TryGetValue(from, out var list) && list.Contains(to, StringComparer.Ordinal);
                if (!allowed && !(to == "Hosting" && IsWiring(type)))
                {
                    found.Add($"{type} → {reference} ({from}/ may not use {to}/)");
                }
            }
        }

        return [.. found];
    }
}
