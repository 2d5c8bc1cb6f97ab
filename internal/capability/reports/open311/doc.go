// Package open311 is the Open311 GeoReport v2 protocol: its documents in
// JSON and XML, the parsing of its queries and of its POST, and one HTTP
// handler per endpoint, over a small Backend that the reports domain
// implements (the collectivité comes from the request's context).
//
// The facts relied on, from the frozen specification
// (wiki.open311.org/GeoReport_v2 and wiki.open311.org/Service_Discovery),
// and from how FixMyStreet's server and mySociety's open311-adapter answer:
//
//   - Endpoints, under one base URL: discovery.{fmt}, services.{fmt},
//     services/{service_code}.{fmt}, GET and POST requests.{fmt},
//     requests/{service_request_id}.{fmt}, tokens/{token}.{fmt}. The
//     format is the extension: "xml" (required by the specification) or
//     "json"; anything else is answered 404 with an error list, as
//     open311-adapter does.
//   - Content types: text/xml; charset=utf-8 and application/json;
//     charset=utf-8; everything in UTF-8; the XML starts with its
//     declaration naming the encoding and has no namespace.
//   - JSON mirrors the XML (the "Spark convention"): a document whose XML
//     root holds a list (services/service, service_requests/request,
//     errors/error) is a bare array; a service definition and the
//     discovery document are objects, their inner lists arrays.
//   - Service elements: service_code, service_name, description,
//     metadata (true when a definition must be read), type (realtime: the
//     POST answers a service_request_id; batch: a token; blackbox:
//     neither), keywords (comma separated), group.
//   - service_definition: service_code and attributes/attribute with
//     variable, code, datatype (string, number, datetime, text,
//     singlevaluelist, multivaluelist), required, datatype_description,
//     order (positive, shown first at 1), description and, for lists,
//     values/value with key and name.
//   - request elements: service_request_id, status (open or closed),
//     status_notes, service_name, service_code, description,
//     agency_responsible, service_notice, requested_datetime,
//     updated_datetime, expected_datetime, address, address_id, zipcode,
//     lat, long (WGS 84), media_url; status_notes, agency_responsible,
//     service_notice and expected_datetime "may not be returned", so
//     they are left out when empty; the others are always written, empty
//     when unknown, but for lat and long of a request without a point
//     (null in JSON, left out in XML).
//   - Datetimes are the W3C profile of ISO 8601 with the zone required
//     ("2010-01-01T00:00:00Z", "1994-11-05T08:15:30-05:00"); they are
//     written here to the second, as FixMyStreet's W3CDTF output is.
//   - GET requests: service_request_id (comma separated) overrides every
//     other argument; service_code and status (open, closed) are comma
//     separated lists; start_date and end_date bound requested_datetime
//     and may not span more than 90 days; by default the last 90 days and
//     at most the first 1000 requests (FixMyStreet: the newest first).
//   - POST requests: application/x-www-form-urlencoded; api_key and
//     service_code required; a location, one of lat and long together,
//     address_string or address_id; optional email, device_id,
//     account_id, first_name, last_name, phone, description (at most
//     4,000 characters), media_url; answers to the definition as
//     attribute[code]=value, a multivaluelist as attribute[code][]=value
//     repeated. FixMyStreet's client also sends attributes no definition
//     names (title, report_url, easting…) and may repeat media_url, so
//     neither is refused. The answer is a service_requests list of one
//     request with service_request_id or token (never both),
//     service_notice and account_id when known.
//   - Errors: errors/error with code and description, one per problem;
//     the body's code "should" be the HTTP status, as it is here: 404 for
//     what does not exist, 403 for a missing or wrong api_key, 400 for any
//     other refusal (405, 413, 429, 500 and 503 keep their usual meaning
//     here). The descriptions are meant for people: French sentences,
//     "field : message" for each field refused.
//   - jurisdiction_id may be ignored by a server with one jurisdiction;
//     here a given one must be the collectivité's own, otherwise 404.
//     An empty argument counts as an absent one.
//   - Discovery: changeset, contact, key_service and endpoints/endpoint
//     with specification (http://wiki.open311.org/GeoReport_v2), url,
//     changeset, type (production or test) and formats/format (MIME
//     types).
//   - FixMyStreet's server adds Access-Control-Allow-Origin: * so that
//     pages elsewhere can read the public lists; here only GET answers
//     carry it.
package open311
