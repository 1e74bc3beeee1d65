namespace Attribution.Store;

/// <summary>Reads through a <see cref="ReadCache"/> that a store may not have been given (tests and one-off commands build stores without one).</summary>
public static class ReadCacheExtensions
{
    /// <summary><paramref name="load"/>'s answer, kept under <paramref name="key"/> when there is a cache.</summary>
    public static Task<T> LoadAsync<T>(this ReadCache? cache, string key, Func<Task<T>> load, CancellationToken cancellationToken) =>
        cache is null ? load() : cache.GetOrLoadAsync(key, load, cancellationToken);
}
