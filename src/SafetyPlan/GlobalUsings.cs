// The namespaces nearly every slice uses: the decision types, the caller, the plan, the HTTP answers, and the Critter
// Stack's session and bus. A namespace used by a few files stays a using in those files.
global using System.ComponentModel.DataAnnotations;
global using System.Globalization;
global using Marten;
global using Microsoft.AspNetCore.Authorization;
global using Microsoft.AspNetCore.Mvc;
global using SafetyPlan.Auth;
global using SafetyPlan.Decisions;
global using SafetyPlan.Plans;
global using SafetyPlan.Web;
global using Wolverine;
