using Enslavism.Gateway;
using Enslavism.Gateway.Demo;

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

// The demo (page at / and one echo slave) is on in Development (appsettings.Development.json) and off otherwise.
builder.Services.AddEnslavismDemo(builder.Configuration);

var app = builder.Build();
app.MapEnslavism();
app.MapEnslavismHealth();
app.MapEnslavismDemo();
app.Run();
