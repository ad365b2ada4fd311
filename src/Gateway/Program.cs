using Enslavism.Gateway;
using Enslavism.Gateway.Demo;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` without a launch profile and without ASPNETCORE_URLS/--urls still gets the documented address.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:8080");
}

builder.Services.AddEnslavismMaster(options => builder.Configuration.GetSection("Enslavism:Master").Bind(options));

// The demo (page at / and one echo slave) is on in Development (appsettings.Development.json) and off otherwise.
builder.Services.AddEnslavismDemo(builder.Configuration);

// Later: a cluster provider (e.g. PostgreSQL) registers its IMasterGrainFactory here, before AddEnslavismMaster's TryAdd.
var app = builder.Build();
app.MapEnslavism();
app.MapEnslavismDemo();
app.Run();
