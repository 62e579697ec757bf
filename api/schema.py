"""The OpenAPI description's additions: the errors every operation may answer."""

ERRORS = {
    "400": "A query parameter is not right: `errors` says which and why.",
    "404": "Nothing published has this address.",
    "406": "The Accept header asks for a format the API does not write.",
    "429": "Too many requests from this client: wait for Retry-After seconds.",
}


def document_errors(result, generator, request, public):
    """Add the Error schema and the error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "integer"},
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": True,
                "description": "Each wrong parameter with what is wrong with it.",
            },
        },
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, description in ERRORS.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": error}
                )
    return result
