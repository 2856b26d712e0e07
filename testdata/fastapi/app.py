"""A small FastAPI application whose OpenAPI 3.1 document is a generator fixture.

It is never served: `write_openapi.py` imports it and writes `app.openapi()`. Each
endpoint and model is here for the constructs its schema exercises (see README.md).
"""

from enum import Enum
from typing import Annotated, Literal, Optional, Union

from fastapi import FastAPI, File, Form, Path, Query, UploadFile
from pydantic import BaseModel, Field

app = FastAPI(
    title="Pet shop (FastAPI fixture)",
    summary="A FastAPI application written to test the generator on OpenAPI 3.1.",
    description="Optional fields, unions, enums, file uploads, nested models and lists.",
    version="1.0.0",
    license_info={"name": "MIT", "identifier": "MIT"},
)


class Species(str, Enum):
    """What kind of animal a pet is."""

    dog = "dog"
    cat = "cat"
    bird = "bird"


class Address(BaseModel):
    street: str
    city: str
    postcode: str | None = None


class Owner(BaseModel):
    """Nested model with optional fields, an optional nested model and a list."""

    name: str
    email: Optional[str] = None
    address: Address | None = None
    phones: list[str] = []


class DogDetails(BaseModel):
    kind: Literal["dog"]
    good: bool = True


class CatDetails(BaseModel):
    kind: Literal["cat"]
    lives: int = Field(default=9, ge=0, le=9)


class Pet(BaseModel):
    id: int
    name: str = Field(min_length=1, max_length=50, examples=["Rex"])
    species: Species
    tags: list[str] = []
    owner: Owner | None = None
    # A union of scalars and null: `anyOf` of three.
    age: int | float | None = None
    # A discriminated union: `oneOf` with a discriminator and `const` tags.
    details: Annotated[Union[DogDetails, CatDetails], Field(discriminator="kind")]
    weight: float = Field(gt=0, description="Kilograms; more than zero.")
    # A tuple: `prefixItems`.
    position: tuple[float, float] | None = None
    attributes: dict[str, int] = {}
    best_friend: Optional["Pet"] = None


class NewPet(BaseModel):
    name: str
    species: Species
    owner: Owner | None = None
    details: Union[DogDetails, CatDetails]
    tags: list[str] = []


class Page(BaseModel):
    items: list[Pet]
    total: int
    next: str | None = None


class StoredFile(BaseModel):
    name: str
    size: int
    content_type: str | None = None


@app.get("/pets", response_model=Page, tags=["pets"])
def list_pets(
    species: Species | None = None,
    tag: Annotated[list[str], Query()] = [],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    """Pets, a page at a time, filtered by species and tags."""
    raise NotImplementedError


@app.post("/pets", response_model=Pet, status_code=201, tags=["pets"])
def create_pet(pet: NewPet) -> Pet:
    raise NotImplementedError


@app.get("/pets/{pet_id}", response_model=Pet, tags=["pets"])
def get_pet(pet_id: Annotated[int, Path(gt=0)]) -> Pet:
    raise NotImplementedError


@app.delete("/pets/{pet_id}", status_code=204, tags=["pets"])
def delete_pet(pet_id: int) -> None:
    raise NotImplementedError


@app.put("/pets/{pet_id}/photo", response_model=StoredFile, tags=["files"])
def upload_photo(
    pet_id: int,
    photo: Annotated[UploadFile, File(description="The picture.")],
    caption: Annotated[str | None, Form()] = None,
) -> StoredFile:
    """A multipart upload: one file and an optional text field."""
    raise NotImplementedError


@app.post("/pets/{pet_id}/documents", response_model=list[StoredFile], tags=["files"])
def upload_documents(pet_id: int, files: list[UploadFile]) -> list[StoredFile]:
    """A multipart upload of several files."""
    raise NotImplementedError


@app.get("/search", tags=["pets"])
def search(
    q: Annotated[str, Query(min_length=1)],
    sort: Literal["name", "age"] = "name",
    max_age: float | None = None,
) -> list[Union[Pet, Owner]]:
    """Pets and owners whose names match: a list of an untagged union."""
    raise NotImplementedError
