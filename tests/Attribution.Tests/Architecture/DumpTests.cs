using Xunit.Abstractions;

namespace Attribution.Tests.Architecture;

public sealed class DumpTests(ITestOutputHelper output)
{
    [Fact]
    public void Dump()
    {
        var refs = AssemblyReferences.Read(typeof(Attribution.Hosting.AttributionHost).Assembly.Location);
        foreach (var (type, uses) in refs.Uses.OrderBy(x => x.Key))
        {
            var from = FolderOf.Type(type);
            if (from is null) continue;
            foreach (var u in uses.Order())
            {
                var to = FolderOf.Assembly(u) is { } a ? (a is "LibGit2Sharp" or "Dapper" or "Npgsql" or "Microsoft.Data.Sqlite" or "System.Data.Common" ? "pkg:" + a : null) : FolderOf.Type(u);
                if (to is null || to == from) continue;
                output.WriteLine($"{from} -> {to}   {type} -> {u}");
            }
        }
    }
}
