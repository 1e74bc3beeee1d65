using Attribution.Hosting;

return await AttributionCli.RunAsync(args);

/// <summary>The entry point (also what WebApplicationFactory hooks into for tests).</summary>
public partial class Program;
