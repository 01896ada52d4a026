"""The OpenAPI 3 description of the Open311 API (its JSON form), served at /open311/v2/openapi.json.

Written by hand beside the views: tests check that the answers match it, and a schemathesis run fuzzes the
live API against it.
"""

NULLABLE_STRING = {"type": "string", "nullable": True}
ERRORS = {
    "description": "Errors, as the specification shapes them",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}
TOO_MANY = {**ERRORS, "description": "Over a rate limit"}


def _json(ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def _query(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


JURISDICTION = _query("jurisdiction_id", "Official (GSO) code of a ward or commune in force", type="string")

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
    "Errors": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Error"}},
    "Discovery": {
        "type": "object",
        "required": ["changeset", "endpoints"],
        "properties": {
            "changeset": {"type": "string"},
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "type", "formats"],
                    "properties": {
                        "specification": {"type": "string"},
                        "url": {"type": "string"},
                        "changeset": {"type": "string"},
                        "type": {"type": "string", "enum": ["production", "test"]},
                        "formats": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"},
            "group": {"type": "string"},
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["variable", "code", "datatype", "required", "order", "description"],
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": {"type": "string"},
                        "datatype": {
                            "type": "string",
                            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"],
                        },
                        "required": {"type": "boolean"},
                        "datatype_description": {"type": "string"},
                        "order": {"type": "integer"},
                        "description": {"type": "string"},
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "name"],
                                "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
    },
    "ServiceRequest": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "additionalProperties": False,
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": {"type": "string"},
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": {"type": "string"},
            "agency_responsible": {"type": "string"},
            "service_notice": {"type": "string"},
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": {"type": "string", "format": "date-time", "nullable": True},
            "expected_datetime": {"type": "string", "format": "date-time", "nullable": True},
            "address": {"type": "string"},
            "address_id": {"type": "string"},
            "zipcode": {"type": "string"},
            "lat": {"type": "number", "nullable": True},
            "long": {"type": "number", "nullable": True},
            "media_url": {"type": "string"},
        },
    },
    "ServiceRequests": {"type": "array", "items": {"$ref": "#/components/schemas/ServiceRequest"}},
    "Created": {
        "type": "array",
        "minItems": 1,
        "maxItems": 1,
        "items": {
            "type": "object",
            "required": ["service_request_id"],
            "properties": {
                "service_request_id": {"type": "string"},
                "service_notice": {"type": "string"},
                "account_id": NULLABLE_STRING,
            },
        },
    },
    "NewRequest": {
        "type": "object",
        "required": [
            "api_key",
            "jurisdiction_id",
            "service_code",
            "description",
            "last_name",
            "phone",
            "attribute[consent]",
        ],
        "properties": {
            "api_key": {"type": "string"},
            "jurisdiction_id": {"type": "string"},
            "service_code": {"type": "string", "pattern": "^[0-9]{1,9}$"},
            "description": {"type": "string", "minLength": 1, "maxLength": 10000},
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "phone": {"type": "string"},
            "email": {"type": "string"},
            "address_string": {"type": "string"},
            "lat": {"type": "number"},
            "long": {"type": "number"},
            "attribute[consent]": {"type": "string", "enum": ["true"]},
            "attribute[kind]": {"type": "string"},
            "attribute[title]": {"type": "string", "maxLength": 200},
            "attribute[show_name_publicly]": {"type": "string", "enum": ["true", "false"]},
        },
    },
}


def openapi_schema(server_url: str) -> dict:
    """Return the OpenAPI 3.0 description, its server at `server_url` (…/open311/v2)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Open311 GeoReport v2 — Decision 2200 dialogue portal",
            "version": "2",
            "description": (
                "Services are the petition categories; jurisdiction_id is the official code of a ward or "
                "commune in force. Every endpoint also answers XML with the .xml extension. No personal data "
                "is ever returned."
            ),
        },
        "servers": [{"url": server_url}],
        "components": {"schemas": SCHEMAS},
        "paths": {
            "/discovery.json": {
                "get": {
                    "operationId": "discovery",
                    "responses": {"200": _json("#/components/schemas/Discovery", "Where and how to use the API")},
                }
            },
            "/services.json": {
                "get": {
                    "operationId": "services",
                    "parameters": [JURISDICTION],
                    "responses": {
                        "200": {
                            "description": "The services",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}}
                                }
                            },
                        },
                        "404": ERRORS,
                    },
                }
            },
            "/services/{service_code}.json": {
                "get": {
                    "operationId": "serviceDefinition",
                    "parameters": [
                        {"name": "service_code", "in": "path", "required": True, "schema": {"type": "string"}},
                        JURISDICTION,
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/ServiceDefinition", "The service's attributes"),
                        "404": ERRORS,
                    },
                }
            },
            "/requests.json": {
                "get": {
                    "operationId": "listRequests",
                    "description": (
                        "With service_request_id (comma-separated codes) anyone may read those requests; "
                        "otherwise give api_key to list the requests your application sent."
                    ),
                    "parameters": [
                        _query("service_request_id", "Comma-separated tracking codes", type="string"),
                        _query("api_key", "Your application's key", type="string"),
                        _query("service_code", "A service's code", type="string"),
                        _query("start_date", "ISO 8601: received at or after", type="string"),
                        _query("end_date", "ISO 8601: received at or before", type="string"),
                        _query("status", "open, closed or both", type="string"),
                        _query("page", "Page number (an extension)", type="integer", minimum=1),
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/ServiceRequests", "The requests, public fields only"),
                        "400": ERRORS,
                        "403": ERRORS,
                        "429": TOO_MANY,
                    },
                },
                "post": {
                    "operationId": "createRequest",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/NewRequest"}}
                        },
                    },
                    "responses": {
                        "201": _json("#/components/schemas/Created", "The petition's tracking code"),
                        "400": ERRORS,
                        "403": ERRORS,
                        "429": TOO_MANY,
                    },
                },
            },
            "/requests/{service_request_id}.json": {
                "get": {
                    "operationId": "getRequest",
                    "parameters": [
                        {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/ServiceRequests", "The request, public fields only"),
                        "404": ERRORS,
                        "429": TOO_MANY,
                    },
                }
            },
        },
    }
