using Enslavism.Gateway;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` without a launch profile and without ASPNETCORE_URLS/--urls still gets the documented address.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:8080");
}

// Enslavism:Cluster:Provider = InMemory (default, no database) | Postgres (uses ConnectionStrings:Enslavism).
builder.Services.AddEnslavismCluster(builder.Configuration);
builder.Services.AddEnslavismMaster(options => builder.Configuration.GetSection("Enslavism:Master").Bind(options));
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapEnslavism();
app.MapEnslavismHealth();
app.Run();
