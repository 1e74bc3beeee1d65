using System.Reflection;

namespace Attribution.Store;

/// <summary>The migration scripts shipped inside the assembly (from <c>migrations/&lt;dialect&gt;/</c>).</summary>
public static class MigrationSource
{
    public static IReadOnlyList<Migration> Embedded(SqlDialect dialect)
    {
        var assembly = typeof(MigrationSource).Assembly;
        var prefix = $"migrations/{(dialect == SqlDialect.Sqlite ? "sqlite" : "postgres")}/";
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded migration {name} cannot be read.");
            using var reader = new StreamReader(stream);
            migrations.Add(Migration.FromFile(name[prefix.Length..], reader.ReadToEnd()));
        }

        return Ordered(migrations);
    }

    public static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var list = migrations.OrderBy(m => m.Version, StringComparer.Ordinal).ToList();
        var duplicate = list.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share the number {duplicate.Key}.");
        }

        return list;
    }

    internal static Assembly Assembly => typeof(MigrationSource).Assembly;
}
