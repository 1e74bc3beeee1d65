namespace Attribution.Store;

/// <summary>Replacing a set of stored rows with the wanted ones while touching only what changed.</summary>
internal static class RowSync
{
    /// <summary>
    /// Makes the rows in <paramref name="stored"/> (by key) exactly <paramref name="wanted"/>: a wanted row is written
    /// unless an unchanged one is stored under its key; stored rows no wanted row names are deleted. Returns the keys
    /// written and deleted, in the order they were. <paramref name="stored"/> is consumed.
    /// </summary>
    public static async Task<(List<TKey> Written, List<TKey> Deleted)> ReplaceAsync<TKey, TStored, TWanted>(
        Dictionary<TKey, TStored> stored,
        IEnumerable<TWanted> wanted,
        Func<TWanted, TKey> keyOf,
        Func<TStored, TWanted, bool> unchanged,
        Func<TWanted, Task> write,
        Func<TKey, Task> delete)
        where TKey : notnull
    {
        var written = new List<TKey>();
        foreach (var row in wanted)
        {
            var key = keyOf(row);
            if (stored.Remove(key, out var old) && unchanged(old, row))
            {
                continue;
            }

            await write(row);
            written.Add(key);
        }

        var deleted = new List<TKey>();
        foreach (var key in stored.Keys)
        {
            await delete(key);
            deleted.Add(key);
        }

        return (written, deleted);
    }
}
