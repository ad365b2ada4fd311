using Enslavism.Gateway;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run` without a launch profile and without ASPNETCORE_URLS/--urls still gets the documented address.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:8080");
}

builder.Services.AddEnslavismMaster(options => builder.Configuration.GetSection("Enslavism:Master").Bind(options));

// Later: a cluster provider (e.g. PostgreSQL) registers its IMasterGrainFactory here, before AddEnslavismMaster's
// TryAdd, and the demo slave is hosted here as well.
var app = builder.Build();
app.MapEnslavism();
app.Run();
